/**
 * JMH micro-benchmarks of the hot pure code (KeyId.of, Configuration.ownerOf) and a ConcurrentHashMap
 * baseline. Run with {@code java -cp bench/target/bench.jar org.openjdk.jmh.Main [regexp] [JMH options]}.
 */
package com.bacefook.store.bench.micro;
