/**
 * Who may call what: TLS certificates for every gRPC connection, and bearer tokens (admin, cluster,
 * client) checked per method. Everything here is off unless its flag is given, so the loopback quick
 * start stays open.
 */
package com.bacefook.store.security;
