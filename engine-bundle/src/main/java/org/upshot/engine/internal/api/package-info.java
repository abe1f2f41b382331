/**
 * What the engine offers the control server and the offline tools: a narrow
 * surface so that transport code never touches job state. Every method posts to
 * the engine thread and answers through a {@link java.util.concurrent.CompletionStage};
 * none blocks its caller.
 */
package org.upshot.engine.internal.api;
