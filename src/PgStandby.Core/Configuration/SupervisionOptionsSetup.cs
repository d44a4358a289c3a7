using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

internal sealed class SupervisionOptionsSetup(IConfiguration configuration) : IConfigureOptions<SupervisionOptions>
{
    public void Configure(SupervisionOptions options)
    {
        var env = new EnvironmentValues(configuration, options.Problems);
        options.RetryInterval = env.Seconds("PGSTANDBY_RETRY_SECONDS", options.RetryInterval, 1, 3600);
        options.MonitorInterval = env.Seconds("PGSTANDBY_MONITOR_SECONDS", options.MonitorInterval, 1, 3600);
        options.StopTimeout = env.Seconds("PGSTANDBY_STOP_TIMEOUT_SECONDS", options.StopTimeout, 5, 3600);
        options.StallTimeout = env.Seconds("PGSTANDBY_STALL_TIMEOUT", options.StallTimeout, 10, 86400);
        options.ResyncOnGap = env.Boolean("PGSTANDBY_RESYNC_ON_GAP", options.ResyncOnGap);
        options.MaxLagBytes = env.Size("PGSTANDBY_MAX_LAG_BYTES", options.MaxLagBytes, 1, 1L << 52);
        options.MaxLagSeconds = env.Seconds("PGSTANDBY_MAX_LAG_SECONDS", options.MaxLagSeconds, 1, 604800);
        options.LagSamples = env.Integer("PGSTANDBY_LAG_SAMPLES", options.LagSamples, 1, 100);
        options.MetricsListen = MetricsListen(env);
        options.LogFormat = env.OneOf("PGSTANDBY_LOG_FORMAT", options.LogFormat, ["text", "json"]);
    }

    /// <summary>host:port with an IP address or a host name, e.g. 127.0.0.1:9187 ([::1]:9187 for IPv6).</summary>
    private static string? MetricsListen(EnvironmentValues env)
    {
        const string Name = "PGSTANDBY_METRICS_LISTEN";
        if (env.Raw(Name)?.Trim() is not { } value)
        {
            return null;
        }

        var colon = value.LastIndexOf(':');
        var host = colon > 0 ? value[..colon] : string.Empty;
        host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var portText = colon > 0 ? value[(colon + 1)..] : string.Empty;
        var hostOk = EnvironmentValues.IsHost(host) && (!host.Contains(':', StringComparison.Ordinal) || value.StartsWith('['));
        if (!hostOk || !int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            env.Problem($"{Name} must be host:port, e.g. 127.0.0.1:9187 (got '{EnvironmentValues.Shown(value)}').");
            return null;
        }

        return value;
    }
}
