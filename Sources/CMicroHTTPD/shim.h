// Only what Swift cannot call directly: libmicrohttpd's variadic functions.
// No logic lives here; each wrapper is a straight pass-through.
#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>
/* For malloc_trim(3), which Glibc's Swift module does not export: the server gives
   memory that request bodies held back to the system once they are gone. */
#include <malloc.h>

/// `MHD_start_daemon` is variadic. Options are passed as one
/// `MHD_OPTION_ARRAY` of `struct MHD_OptionItem`, terminated by
/// `MHD_OPTION_END` (manual: "MHD_OPTION_ARRAY ... an array of
/// struct MHD_OptionItem").
static inline struct MHD_Daemon *
CMicroHTTPD_start_daemon(unsigned int flags, uint16_t port,
                         MHD_AccessHandlerCallback handler, void *handler_cls,
                         struct MHD_OptionItem *options)
{
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

/// `MHD_get_daemon_info` is variadic; the port actually bound (useful
/// with port 0) needs no extra argument.
static inline uint16_t
CMicroHTTPD_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/// `MHD_get_daemon_info` is variadic: the number of open connections.
static inline unsigned int
CMicroHTTPD_current_connections(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

/// `MHD_get_connection_info` is variadic: the peer's socket address, or NULL.
static inline const struct sockaddr *
CMicroHTTPD_client_address(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}

/// `MHD_get_connection_info` is variadic: the connection's socket, or -1.
/// Used only to shut a socket down (never to close it) from the slow-client
/// watchdog; libmicrohttpd then sees the end of the stream and closes it itself.
static inline int
CMicroHTTPD_connection_fd(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info == NULL ? -1 : info->connect_fd;
}

#endif
