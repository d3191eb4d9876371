# img/ — vemu-img, the disk image utility, on the block layer (block/module.mk).
VEMU_IMG_OBJS := $(call objs,img)
PROGRAMS += $(BUILD)/vemu-img

$(BUILD)/vemu-img: $(VEMU_IMG_OBJS) $(LIB_block)
	$(CC) $(VEMU_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lz -lpthread -lm $(LIBS)
