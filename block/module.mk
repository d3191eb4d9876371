# block/ — the block layer (image formats, backing chains, the request
# thread pool).  Linked into vemu-img and the unit tests; the emulator's
# disks will link it too.
LIB_block := $(call objs,block)
