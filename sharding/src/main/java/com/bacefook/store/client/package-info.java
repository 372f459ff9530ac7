/**
 * The client library: talks to the shardmaster and routes each key operation to the server that owns
 * the key, refreshing its cached configuration and retrying when a server refuses. The CLI, the
 * gateway, the benchmarks and the servers themselves use it.
 */
package com.bacefook.store.client;
