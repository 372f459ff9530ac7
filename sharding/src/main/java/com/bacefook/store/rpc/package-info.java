/**
 * gRPC plumbing shared by servers and clients: one channel per peer, the metadata that marks handoff
 * traffic, and the refusals a server sends for keys it does not serve.
 */
package com.bacefook.store.rpc;
