/**
 * The bench: closed-loop load and scenarios (steady, single, migrate, gdpr, memory) that drive a cluster
 * only through the public Shardmaster and Shardkv RPCs, optionally starting one from this repository's jars.
 */
package com.bacefook.store.bench;
