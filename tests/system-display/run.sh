#!/bin/bash
# tests/system-display/run.sh — the PL110 CLCD's picture, screendump, VNC,
# the SDL window and keyboard/mouse input (docs/display.md).  Sessions
# (display-test.py, Python standard library only):
#   pattern  a bare-metal program (clcd-pattern.c) shows 17 pixel formats
#            (1/2/4/8 bpp palette, 16 bpp through the Versatile's mux and
#            BGR, 24 bpp, BEBO and BEPO); each QMP screendump is compared
#            pixel by pixel with qemu-system-arm's of the same program
#            (1:5:5:5 with the TRM's layout: QEMU 7.2 misreads it); PNG ==
#            PPM; screendump errors (bad path, format, missing/typed
#            arguments, device) from QMP and HMP, compared with qemu's
#            replies; sendkey's set-2 bytes as the KMI0 port reads them
#   vnc      -vnc :N with a stdlib RFB client: size, the framebuffer equals
#            the screendump, an incremental update brings the next mode,
#            keys (keysyms -> set 2) and pointer motion reach KMI0/KMI1
#   sdl      under Xvfb (-fbdir: the X screen as a file): the default with
#            $DISPLAY set opens a window showing the picture pixel-exact,
#            it follows the next mode; -display none opens none
#   options  -display sdl without $DISPLAY or with a $DISPLAY that has no
#            X server, -display gtk/bogus, bad -vnc: a clear message and
#            status 1; the default with that $DISPLAY: a note, and it runs
#   kernel   the cached Linux 6.1 v5 kernel with -dtb (DRM pl111 driver,
#            fbcon, the logo) under vemu and qemu-system-arm: the mode's
#            size and depth like qemu's, the logo's corner has black, white
#            and yellow and equals qemu's pixel for pixel, text written to
#            /dev/tty0 shows (and equals qemu's screen), sendkey types into
#            tty1; booted with vemu's own tree (no -dtb) the CLCD is a frame
#            buffer too and shows the same logo (DISPLAY_KERNEL=disk: that variant)
# Fixture problems are SKIPs.  DISPLAY_SESSIONS picks sessions.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
EMU=$BUILD/vemu-system-arm
WORK=$(mktemp -d /tmp/vemu-system-display.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
ulimit -c 0
SESSIONS=${DISPLAY_SESSIONS:-options pattern vnc sdl kernel}
T=tests/system-display

skip() { echo "SKIP: system-display/$1 ($2)"; }
pass() { echo "PASS: system-display/$1"; }
fail() { echo "FAIL: system-display/$1${2:+ ($2)}"; }

if [ ! -x "$EMU" ]; then
    skip all "$EMU not built"
    exit 0
fi
if ! command -v python3 >/dev/null; then
    skip all "python3 not installed"
    exit 0
fi

CROSS_CC=${CROSS_CC:-arm-linux-gnueabi-gcc}
elf=
if "$CROSS_CC" -march=armv5te -marm -O2 -ffreestanding -nostdlib -static -Wl,-Ttext=0x8000 \
        -Wl,--build-id=none -o "$WORK/clcd-pattern.elf" $T/clcd-pattern.c 2>"$WORK/cc.log"; then
    elf=$WORK/clcd-pattern.elf
fi

# options: the message and status 1 (no guest needed: they fail before it runs)
expect_error() {   # name, expected message part, options...
    local name=$1 want=$2
    shift 2
    local out rc
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY timeout 60 "$EMU" -M versatilepb -kernel "${elf:-/dev/null}" \
        -monitor none -serial null "$@" </dev/null 2>&1)
    rc=$?
    if [ $rc -eq 1 ] && [[ "$out" == *"$want"* ]]; then pass "$name"
    else fail "$name" "status $rc: $out"; fi
}

for s in $SESSIONS; do
    case $s in
    options)
        expect_error option-sdl-no-display "-display sdl: no display to open a window on" -display sdl
        expect_error option-gtk "-display gtk: this display type is not built into vemu" -display gtk
        expect_error option-bogus "-display bogus: unknown display type" -display bogus
        expect_error option-none-opts "'none' takes no options" -display none,gl=on
        expect_error option-vnc-unix "Unix sockets are not supported" -vnc unix:$WORK/vnc.sock
        expect_error option-vnc-opts "vemu takes no VNC options" -vnc :1,password=on
        expect_error option-vnc-bad "is not a display number" -vnc :x
        # a $DISPLAY with no X server behind it: an error when asked for,
        # a note and no window by default
        out=$(DISPLAY=:9876 timeout 60 "$EMU" -M versatilepb -kernel "${elf:-/dev/null}" -monitor none \
            -serial null -display sdl </dev/null 2>&1); rc=$?
        if [ $rc -eq 1 ] && [[ "$out" == *"-display sdl: cannot open a window on DISPLAY=:9876"* ]]; then
            pass option-sdl-bad-display
        else fail option-sdl-bad-display "status $rc: $out"; fi
        if [ -n "$elf" ]; then
            out=$(DISPLAY=:9876 timeout 5 "$EMU" -M versatilepb -kernel "$elf" -monitor none -serial null \
                </dev/null 2>&1); rc=$?
            if [ $rc -eq 124 ] && [[ "$out" == *"note: no display window"*"running as with -display none"* ]]; then
                pass default-bad-display-runs
            else fail default-bad-display-runs "status $rc: $out"; fi
        else
            skip default-bad-display-runs "no pattern program"
        fi
        ;;
    pattern|vnc|sdl)
        if [ -z "$elf" ]; then
            skip "$s" "$CROSS_CC cannot build clcd-pattern.c: $(head -1 "$WORK/cc.log")"
            continue
        fi
        timeout 600 python3 $T/display-test.py "$s" "$EMU" "$WORK" "$elf" || true
        ;;
    kernel)
        initrd=$(tests/system/make-initramfs.sh 2>"$WORK/initramfs.why") || {
            skip kernel "initramfs: $(sed 's/^why: //' "$WORK/initramfs.why" | head -1)"; continue; }
        kdir=$(tests/system/fetch-kernel.sh "${DISPLAY_KERNEL:-v5}" 2>"$WORK/kernel.why") || {
            skip kernel "kernel: $(sed 's/^why: //' "$WORK/kernel.why" | head -1)"; continue; }
        timeout 900 python3 $T/display-test.py kernel "$EMU" "$WORK" "$kdir" "$initrd" || true
        ;;
    *) fail "$s" "unknown session" ;;
    esac
done
