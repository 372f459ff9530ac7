/**
 * The front-end gateway: one HTTP process that serves the Bacefook web UI and a JSON API, answered
 * through the routing client and the shardmaster client.
 *
 * <p>Layers, outside in: {@link com.bacefook.store.gateway.GatewayServer} starts and stops the
 * HTTP server; {@link com.bacefook.store.gateway.ApiRoutes} turns requests into calls and results
 * into JSON; {@link com.bacefook.store.gateway.SocialService} speaks the domain (users, posts,
 * walls) through {@link com.bacefook.store.client.StoreClient};
 * {@link com.bacefook.store.gateway.ApiErrors} is the one place that turns failures into HTTP
 * statuses. The web UI is plain HTML, CSS and JavaScript under {@code resources/public}.
 */
package com.bacefook.store.gateway;
