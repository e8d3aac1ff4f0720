package io.sessionlocking.example.report;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/** Turns on Spring's caching for the report; the cache itself is Boot's Redis cache (spring.cache.*). */
@Configuration(proxyBeanMethods = false)
@EnableCaching
class ReportCaching {}
