package com.bacefook.store.bench;

import java.util.SplittableRandom;

/** Chooses the key of the next operation. Called by one client thread with its own random source. */
@FunctionalInterface
interface KeyPicker {
  String pick(SplittableRandom random);
}
