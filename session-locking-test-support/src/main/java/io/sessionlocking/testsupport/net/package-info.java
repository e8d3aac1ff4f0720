/**
 * Network faults for tests: {@link io.sessionlocking.testsupport.net.TcpProxy} is an in-process TCP proxy on a free
 * loopback port that adds latency, stalls, drops or cuts the traffic between a client and a loopback target (a Redis
 * node, a web server), with byte and connection counts for assertions; {@link
 * io.sessionlocking.testsupport.net.TcpProxyExtension} manages one from JUnit 5. Everything it starts is bounded and
 * ends with it.
 */
@org.jspecify.annotations.NullMarked
package io.sessionlocking.testsupport.net;
