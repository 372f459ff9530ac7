/** What the gRPC and HTTP fuzzers share: their statistics and the way they show inputs. */
package com.bacefook.store.testkit.fuzz;
