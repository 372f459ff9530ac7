/** A mini-cluster of real servers on loopback, reused by every integration test. */
package com.bacefook.store.testkit;
