// libvips (Debian libvips-dev) decodes, turns upright, strips and re-encodes uploaded photos.
// libvips passes optional arguments as NULL-terminated variadic name/value pairs, which Swift
// cannot call, so each wrapper below fixes the options one call needs and nothing else; no
// logic lives here. Non-variadic functions (vips_init, vips_image_get_width, g_object_unref,
// g_free, vips_error_buffer) are called from Swift directly.
// Manual: https://www.libvips.org/API/current/ (the "Optional arguments" of each operation).
#ifndef CVIPS_SHIM_H
#define CVIPS_SHIM_H

#include <vips/vips.h>

// vips_image_new_from_buffer without options: the loader is chosen by the bytes, and only the
// header is read until pixels are asked for (so the size can be checked before decoding).
static inline VipsImage *CVips_new_from_buffer(const void *buffer, size_t length) {
    return vips_image_new_from_buffer(buffer, length, "", NULL);
}

// vips_autorot: turns the image as its EXIF orientation says and removes that tag.
static inline int CVips_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

// vips_thumbnail_image with a bounding box, shrinking only (a small photo keeps its size).
static inline int CVips_shrink_to_fit(VipsImage *in, VipsImage **out, int width, int height) {
    return vips_thumbnail_image(in, out, width, "height", height, "size", VIPS_SIZE_DOWN, NULL);
}

// vips_jpegsave_buffer at a given quality with every metadata block (EXIF, XMP, IPTC, ICC) stripped.
static inline int CVips_jpeg_stripped(VipsImage *in, void **buffer, size_t *length, int quality) {
    return vips_jpegsave_buffer(in, buffer, length, "Q", quality, "strip", TRUE, NULL);
}

// vips_pngsave_buffer with every metadata block stripped.
static inline int CVips_png_stripped(VipsImage *in, void **buffer, size_t *length) {
    return vips_pngsave_buffer(in, buffer, length, "strip", TRUE, NULL);
}

#endif
