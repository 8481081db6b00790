/** Runnable demos of reactive-ice; they send packets to loopback only. */
package io.reactiveice.samples;
