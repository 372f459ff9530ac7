/**
 * The live cluster page's data: what every server says about itself each second (health,
 * configuration, keys, request rate, ranges and handoffs) and the timeline of configurations, kept
 * as small immutable values that the gateway's sampler replaces once a second.
 */
package com.bacefook.store.gateway.dashboard;
