using System.Globalization;
using System.Text.RegularExpressions;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Observability;

[Collection(WorldDefinition.Name)]
public sealed partial class MetricsTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task PrometheusEndpoint_OnLoopback_LagAsSqlSeesIt()
    {
        var listen = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var standby = world.NewStandby("prometheus");
        standby.Environment["PGSTANDBY_METRICS_LISTEN"] = listen;
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        await standby.ScalarAsync("SELECT pg_wal_replay_pause()");
        await world.SqlAsync("INSERT INTO probe (note) SELECT repeat('metrics', 50) FROM generate_series(1, 3000)");
        var replayed = await standby.ScalarAsync("SELECT pg_last_wal_replay_lsn()");
        string text = string.Empty;
        double sqlLag = 0;
        await Eventually.ThatAsync(
            async () =>
            {
                text = await http.GetStringAsync($"http://{listen}/metrics");
                sqlLag = double.Parse(await world.SqlAsync($"SELECT pg_current_wal_lsn() - '{replayed}'::pg_lsn"), CultureInfo.InvariantCulture);
                return Value(text, "pg_replication_lag_bytes") is { } metric && metric > 0 && Math.Abs(metric - sqlLag) <= 16384;
            },
            TimeSpan.FromSeconds(30),
            () => $"pg_replication_lag_bytes never matched SQL's {sqlLag}:\n{text}");
        await standby.ScalarAsync("SELECT pg_wal_replay_resume()");

        Assert.True(Value(text, "pg_replication_is_replica") is not null, text);
        Assert.Equal(1, Value(text, "pg_replication_is_replica"));
        Assert.Equal(1, Value(text, "pgstandby_wal_receiver_connected"));
        Assert.Equal(1, Value(text, "pgstandby_recovery_paused"));
        Assert.Equal(1, Value(text, "pgstandby_state", "state=\"streaming\""));
        Assert.Equal(0, Value(text, "pgstandby_state", "state=\"restoring\""));
        Assert.Equal(0, Value(text, "pgstandby_postgres_restarts_total"));
        Assert.True(Value(text, "pgstandby_restore_duration_seconds") > 0, text);
        // pg_replication_lag_seconds and pgstandby_last_replay_age_seconds are absent while no transaction
        // has been replayed yet (pg_last_xact_replay_timestamp() is null); replay resumed, they appear.
        await Eventually.ThatAsync(
            async () =>
            {
                text = await http.GetStringAsync($"http://{listen}/metrics");
                return Value(text, "pgstandby_last_replay_age_seconds") is >= 0 && Value(text, "pgstandby_recovery_paused") == 0;
            },
            TimeSpan.FromSeconds(30),
            () => $"pgstandby_last_replay_age_seconds never appeared after replay resumed:\n{text}");
    }

    [WorldFact]
    public async Task OtlpEndpoint_Set_MetricsAndStageSpansPushedToCollector()
    {
        using var collector = new OtlpCollector(FreePort.Next());
        await using var standby = world.NewStandby("otlp");
        standby.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint;
        standby.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        standby.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        standby.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "500";
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);

        await Eventually.ThatAsync(
            () => Task.FromResult(collector.Received("/v1/metrics", "pg_replication_lag_bytes") && collector.Received("/v1/traces", "RestoreService")),
            TimeSpan.FromSeconds(60),
            () => $"the collector got {string.Join(", ", collector.Posts.Select(p => $"{p.Path} ({p.Body.Length} bytes)"))}; worker output:\n{standby.Output}");
    }

    /// <summary>The value of the first sample of metric <paramref name="name"/> with <paramref name="label"/> among its labels.</summary>
    private static double? Value(string exposition, string name, string? label = null)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (SampleLine().Match(line) is { Success: true } match && match.Groups["name"].Value == name
                && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?<labels>\{[^}]*\})? (?<value>[-+0-9.eE]+)")]
    private static partial Regex SampleLine();
}
