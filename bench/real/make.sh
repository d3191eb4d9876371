# bench/real/make.sh WORKDIR PROJECT TREE — the make row: `make -j4` of the
# project in bench/real/proj (parallel shell recipes calling text tools over
# the fixed tree's notes; see its Makefile), then its summary.  The project
# is copied into WORKDIR; SHELL is the shell of this side (on the emulated
# sides the sysroot's, so recipes run ARM programs too).
cd "$1" || exit 1
cp -r "$2" proj && cd proj || exit 1
make -s -j4 SHELL="$(command -v sh)" IN="$3/a/notes" || exit 1
cat out/summary
