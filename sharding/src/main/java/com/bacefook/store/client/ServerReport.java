package com.bacefook.store.client;

import com.bacefook.store.proto.ServerStatus;
import java.util.Optional;

/**
 * What one server says about itself: its gRPC health ({@code SERVING}, {@code NOT_SERVING}, or the
 * status code of a failed check such as {@code UNAVAILABLE}) and, if it answered, its {@link
 * ServerStatus}.
 */
public record ServerReport(String server, String health, Optional<ServerStatus> status) {}
