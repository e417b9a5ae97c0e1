#ifndef NURTURE_CCURL_SHIM_H
#define NURTURE_CCURL_SHIM_H

#include <curl/curl.h>
#include <signal.h>

// Swift cannot call C variadic functions; curl_easy_setopt/getinfo are variadic,
// so each argument type gets one typed wrapper.

/// curl_easy_setopt for options that take a `long`.
static inline CURLcode nurture_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options that take a C string (libcurl copies it).
static inline CURLcode nurture_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options that take a pointer (slist, user data).
static inline CURLcode nurture_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// The read callback's C type, so Swift can pass a @convention(c) closure.
typedef size_t (*nurture_curl_io_callback)(char *buffer, size_t size, size_t count, void *userdata);

/// curl_easy_setopt for CURLOPT_READFUNCTION / CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION.
static inline CURLcode nurture_curl_setopt_io_callback(CURL *handle, CURLoption option,
                                                       nurture_curl_io_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// The debug callback's C type: used to collect the server's reply lines.
typedef int (*nurture_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size,
                                           void *userdata);

/// curl_easy_setopt for CURLOPT_DEBUGFUNCTION.
static inline CURLcode nurture_curl_setopt_debug_callback(CURL *handle, nurture_curl_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

/// curl_easy_getinfo for `long` results (CURLINFO_RESPONSE_CODE).
static inline CURLcode nurture_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// curl_easy_getinfo for socket results (CURLINFO_ACTIVESOCKET).
static inline CURLcode nurture_curl_getinfo_socket(CURL *handle, CURLINFO info, curl_socket_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Ignores SIGPIPE for the whole process: with CURLOPT_NOSIGNAL set, libcurl no longer does it,
/// and a peer closing a socket mid-write must not kill the daemon.
static inline void nurture_ignore_sigpipe(void) {
    signal(SIGPIPE, SIG_IGN);
}

#endif
