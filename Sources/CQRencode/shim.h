// libqrencode (Debian libqrencode-dev) for the QR code on the kiosk receipt.
// Swift calls QRcode_encodeString and QRcode_free directly: none of the functions
// used is variadic or a macro, so no wrapper lives here.
#ifndef CQRENCODE_SHIM_H
#define CQRENCODE_SHIM_H

#include <qrencode.h>

#endif
