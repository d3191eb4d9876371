/*
 * screendump.c — the display surface written to a file (display.h), as
 * QEMU's screendump writes it: PPM (binary P6, "P6\n<w> <h>\n255\n" then
 * RGB bytes, rows top to bottom) or PNG (8-bit RGB, no alpha, through
 * libpng).  Errors name the file and the reason, in QEMU's words
 * ("failed to open file '<path>': <strerror>").
 */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "softmmu/display.h"

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
}

int screendump_parse_format(const char *name, ScreendumpFormat *fmt)
{
    if (!name || !strcmp(name, "ppm"))
        *fmt = SCREENDUMP_PPM;
    else if (!strcmp(name, "png"))
        *fmt = SCREENDUMP_PNG;
    else
        return -1;
    return 0;
}

static void row_rgb(const DisplaySurface *s, int y, uint8_t *out)
{
    const uint32_t *p = s->pixels + (size_t)y * s->width;
    for (int x = 0; x < s->width; x++) {
        out[3 * x] = (uint8_t)(p[x] >> 16);
        out[3 * x + 1] = (uint8_t)(p[x] >> 8);
        out[3 * x + 2] = (uint8_t)p[x];
    }
}

static int write_ppm(const DisplaySurface *s, FILE *f)
{
    uint8_t *row = malloc((size_t)s->width * 3);
    if (!row)
        return -1;
    int rc = fprintf(f, "P6\n%d %d\n255\n", s->width, s->height) < 0 ? -1 : 0;
    for (int y = 0; y < s->height && rc == 0; y++) {
        row_rgb(s, y, row);
        if (fwrite(row, 3, (size_t)s->width, f) != (size_t)s->width)
            rc = -1;
    }
    free(row);
    return rc;
}

/* libpng reports errors by longjmp; everything the jump skips over is
 * either allocated before setjmp or freed by the caller. */
static int write_png(const DisplaySurface *s, FILE *f, uint8_t *row, const char **why)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        *why = "cannot start libpng";
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        *why = "libpng failed to write it";
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)s->width, (png_uint_32)s->height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < s->height; y++) {
        row_rgb(s, y, row);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int screendump_write(const DisplaySurface *s, const char *path, ScreendumpFormat fmt, char **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        set_err(err, "failed to open file '%s': %s", path, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        set_err(err, "failed to open file '%s': %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    const char *why = NULL;
    int rc;
    if (fmt == SCREENDUMP_PNG) {
        uint8_t *row = malloc((size_t)s->width * 3);
        rc = row ? write_png(s, f, row, &why) : -1;
        free(row);
    } else {
        rc = write_ppm(s, f);
    }
    int saved = errno;
    if (fclose(f) != 0 && rc == 0) {
        saved = errno;
        rc = -1;
    }
    if (rc < 0) {
        if (why)
            set_err(err, "failed to write file '%s': %s", path, why);
        else
            set_err(err, "failed to write file '%s': %s", path, strerror(saved));
        unlink(path);
    }
    return rc;
}
