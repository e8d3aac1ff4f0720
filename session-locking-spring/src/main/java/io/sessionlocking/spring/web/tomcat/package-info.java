/**
 * Tomcat's side of session locking: the client connection of a request, so that a lock wait ends when its client
 * goes away.
 */
@NullMarked
package io.sessionlocking.spring.web.tomcat;

import org.jspecify.annotations.NullMarked;
