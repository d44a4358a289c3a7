using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Health;

namespace PgStandby.Worker.Observability;

/// <summary>
/// The OpenTelemetry SDK for the Meter and ActivitySource <c>PgStandby</c>: pushed by OTLP only when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (the SDK reads it and its friends itself), and served for Prometheus
/// only when PGSTANDBY_METRICS_LISTEN is set. Neither opens anything by default.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddPgStandbyTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<StandbyMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var listen = configuration["PGSTANDBY_METRICS_LISTEN"]?.Trim();
        if (!otlp && string.IsNullOrEmpty(listen))
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pgstandby"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.Name);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                // A malformed value is reported by the configuration check, which stops the worker before this serves anything.
                var colon = listen?.LastIndexOf(':') ?? -1;
                if (colon > 0 && int.TryParse(listen![(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    metrics.AddPrometheusHttpListener(options =>
                    {
                        options.Host = listen[..colon];
                        options.Port = port;
                        options.ScrapeEndpointPath = "/metrics";
                    });
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.Name);
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
    }
}
