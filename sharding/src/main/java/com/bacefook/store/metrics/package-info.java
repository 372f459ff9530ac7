/** Prometheus metrics over HTTP for the servers, through Micrometer. */
package com.bacefook.store.metrics;
