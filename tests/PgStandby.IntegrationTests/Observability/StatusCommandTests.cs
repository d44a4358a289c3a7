using System.Text.Json;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Observability;

/// <summary><c>pgstandby status</c> and <c>status --json</c>, run as a second process next to the worker.</summary>
[Collection(WorldDefinition.Name)]
public sealed class StatusCommandTests(PrimaryWorld world)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [WorldFact]
    public async Task KeyNotAuthorized_StatusShowsTheStateAndTheKeyToAuthorize()
    {
        await using var standby = world.NewStandby("status-key");
        standby.Start();
        await standby.WaitForStateAsync("waiting_for_key_authorization", Long);
        var publicKey = (await File.ReadAllTextAsync(Path.Combine(standby.SshDirectory, "id_ed25519.pub"))).Trim();

        var human = await standby.RunVerbAsync("status");
        var json = await standby.RunVerbAsync("status", "--json");

        Assert.Equal(0, human.ExitCode);
        Assert.Contains("state:        waiting_for_key_authorization", human.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("public key:   " + publicKey, human.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("authorized_keys", human.StandardOutput, StringComparison.Ordinal);
        var status = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal(publicKey, status.GetProperty("public_key").GetString());
        Assert.True(status.GetProperty("healthy").GetBoolean());
        Assert.False(status.GetProperty("ready").GetBoolean());
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
    }

    [WorldFact]
    public async Task Streaming_StatusJsonHasEveryField_HumanSummaryNamesVersions()
    {
        await using var standby = world.NewStandby("status-streaming");
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", Long);
        await world.WriteProbeRowsAsync("status");
        var pgBackRest = (await Shell.RunAsync("pgbackrest", ["version"])).Trim().Split(' ')[^1];
        var postgres = await standby.ScalarAsync("SHOW server_version");
        JsonElement status = default;
        await Eventually.ThatAsync(
            async () =>
            {
                status = JsonDocument.Parse((await standby.RunVerbAsync("status", "--json")).StandardOutput).RootElement;
                return status.GetProperty("last_replay_age_seconds").ValueKind == JsonValueKind.Number;
            },
            TimeSpan.FromSeconds(60),
            () => $"no replayed transaction in the status: {status}");

        Assert.Equal("streaming", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("since").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.False(string.IsNullOrEmpty(status.GetProperty("reason").GetString()));
        Assert.False(string.IsNullOrEmpty(status.GetProperty("next_step").GetString()));
        Assert.True(status.GetProperty("lag_bytes").GetInt64() >= 0);
        Assert.True(status.GetProperty("lag_seconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("restore_percent").ValueKind);
        Assert.True(status.GetProperty("last_restore_seconds").GetDouble() > 0);
        Assert.Equal(pgBackRest, status.GetProperty("pgbackrest_version").GetString());
        Assert.Equal(postgres!.Split(' ')[0], status.GetProperty("postgres_version").GetString());
        Assert.Equal("127.0.0.1", status.GetProperty("primary_host").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("public_key").ValueKind);

        var human = await standby.RunVerbAsync("status");
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("state:        streaming", human.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"versions:     pgBackRest {pgBackRest}, PostgreSQL {postgres.Split(' ')[0]}", human.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("healthy:      yes, ready: yes", human.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("public key:", human.StandardOutput, StringComparison.Ordinal);
    }
}
