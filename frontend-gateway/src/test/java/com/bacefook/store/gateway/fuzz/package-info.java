/**
 * Bad input never hurts the gateway (issue #7): {@link
 * com.bacefook.store.gateway.fuzz.GatewayFuzzTest}, a seeded fuzzer of the JSON API over a real
 * cluster; {@link com.bacefook.store.gateway.fuzz.GatewayWorstCasesTest}, the worst inputs it
 * sends, once each; and {@link com.bacefook.store.gateway.fuzz.GatewayFindingsTest}, what it found,
 * as reproductions that fail until the gateway is fixed. All are tagged {@code fuzz}.
 */
package com.bacefook.store.gateway.fuzz;
