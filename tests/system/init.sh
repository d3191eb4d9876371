#!/bin/sh
# /init of the vemu system-test initramfs (tests/system/make-initramfs.sh).
# Runs as pid 1 under Debian's busybox-static; mounts what the tests read,
# prints the marker tests/system/run.sh waits for, then gives a shell on the
# console (cttyhack makes the console its controlling terminal, so ^C works).
/bin/busybox --install -s /bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "VEMU-INIT-READY $(uname -r) $(uname -m)"
while true; do
    setsid cttyhack sh
    echo "VEMU-INIT-SHELL-EXITED"
done
