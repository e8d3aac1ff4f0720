package io.sessionlocking.example.report;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Properties of the demo report.
 *
 * @param computeTime how long computing the report takes, standing in for a slow query or a config merge
 */
@ConfigurationProperties("demo.report")
public record ReportProperties(@DefaultValue("500ms") Duration computeTime) {}
