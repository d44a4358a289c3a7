using System.Text.Json;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Observability;

[Collection(WorldDefinition.Name)]
public sealed class JsonLogTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task LogFormatJson_EveryLine_IsOneJsonObjectWithItsSource()
    {
        await using var standby = world.NewStandby("json-log");
        standby.Environment["PGSTANDBY_LOG_FORMAT"] = "json";
        await standby.PreAuthorizeAsync();
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromSeconds(60)));

        var sources = new HashSet<string>(StringComparer.Ordinal);
        var lines = standby.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _), line);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("level").GetString()), line);
            Assert.True(root.GetProperty("event_id").GetInt32() >= 0, line);
            Assert.NotNull(root.GetProperty("message").GetString());
            sources.Add(root.GetProperty("source").GetString()!);
        }

        Assert.Contains("postgres", sources);
        Assert.Contains("pgbackrest", sources);
        Assert.Contains("HealthState", sources);
    }
}
