# bench/real/gcc.sh WORKDIR SOURCE [SYSROOT] — the gcc row: one C file
# compiled with -O2 -c (the driver, cc1 and as).  On the emulated sides
# SYSROOT names the sysroot's multiarch header directory explicitly:
# qemu-arm 7.2 does not map statx through -L, so its gcc would drop
# /usr/include/arm-linux-gnueabihf from the search list (vemu-arm needs
# nothing; both then read the same headers).  The object is target code: the "arch:"
# line (its checksum) is compared between the emulators only; native gcc's
# object differs by nature.
cd "$1" || exit 1
gcc -O2 ${3:+-idirafter "$3/usr/include/arm-linux-gnueabihf"} -c -o out.o "$2" || exit 1
echo "compiled $(basename "$2")"
echo "arch: $(sha256sum <out.o)"
