/**
 * gRPC plumbing shared by servers and clients: one channel per peer, the metadata that marks handoff
 * traffic, the refusals a server sends for keys it does not serve, and the addresses, ports and flag
 * values of the servers' command lines.
 */
package com.bacefook.store.rpc;
