/**
 * The intermediate model between Kubernetes objects and the wire: plain records, no fabric8 and no
 * protobuf. The compiler builds it; the translator turns it into a snapshot.
 */
package dev.gantry.operator.ir;
