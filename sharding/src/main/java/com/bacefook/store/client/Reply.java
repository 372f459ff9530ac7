package com.bacefook.store.client;

/** The result of a routed operation and the server that answered it. */
public record Reply<T>(String server, T value) {}
