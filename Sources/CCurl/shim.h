// Only what Swift cannot call directly: libcurl's variadic option setters and getters.
// No logic lives here; each wrapper is a straight pass-through with one typed argument.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#include <curl/curl.h>

/// `curl_easy_setopt` is variadic; options whose argument is a `long`
/// (manual: "CURLOPT_* ... Pass a long").
static inline CURLcode
CCurl_setopt_long(CURL *handle, CURLoption option, long value)
{
    return curl_easy_setopt(handle, option, value);
}

/// `curl_easy_setopt` for options taking a `char *`. libcurl copies the string
/// (manual: "The application does not have to keep the string around after setting
/// this option"), so a Swift string's temporary C buffer is enough.
static inline CURLcode
CCurl_setopt_string(CURL *handle, CURLoption option, const char *value)
{
    return curl_easy_setopt(handle, option, value);
}

/// `curl_easy_setopt` for options taking a pointer libcurl does NOT copy:
/// `CURLOPT_MAIL_RCPT`'s `struct curl_slist *`, `CURLOPT_READDATA`, `CURLOPT_XFERINFODATA`
/// and `CURLOPT_ERRORBUFFER`. The caller keeps it alive until the transfer is over.
static inline CURLcode
CCurl_setopt_pointer(CURL *handle, CURLoption option, void *value)
{
    return curl_easy_setopt(handle, option, value);
}

/// `curl_easy_setopt(CURLOPT_READFUNCTION, ...)`: the callback that hands libcurl the
/// message to upload.
static inline CURLcode
CCurl_setopt_read_function(CURL *handle, curl_read_callback callback)
{
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

/// `curl_easy_setopt(CURLOPT_XFERINFOFUNCTION, ...)`: called often during a transfer;
/// returning non-zero aborts it (used to stop promptly when the service stops).
static inline CURLcode
CCurl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback)
{
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

/// `curl_easy_getinfo` is variadic; for infos that answer a `long`, such as
/// `CURLINFO_RESPONSE_CODE` (the last SMTP reply code).
static inline CURLcode
CCurl_getinfo_long(CURL *handle, CURLINFO info, long *value)
{
    return curl_easy_getinfo(handle, info, value);
}

#endif
