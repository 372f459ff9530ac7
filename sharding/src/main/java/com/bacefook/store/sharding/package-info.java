/**
 * The pure sharding model: key IDs, ranges of the ID space and configurations. No networking here;
 * every type is immutable and unit-tested on its own.
 */
package com.bacefook.store.sharding;
