/** Shared rules for the data directories that servers keep their state in. */
package com.bacefook.store.storage;
