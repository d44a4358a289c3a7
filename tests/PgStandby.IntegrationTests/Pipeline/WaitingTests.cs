using System.Globalization;
using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Pipeline;

[Collection(WorldDefinition.Name)]
public sealed class WaitingTests(PrimaryWorld world)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    [WorldFact]
    public async Task FreshStandby_PrimarySshNotAnswering_WaitsForPrimaryWithoutExiting()
    {
        await using var standby = world.NewStandby("no-ssh");
        standby.Environment["BACKREST_PRIMARY_SSH_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        standby.Start();

        await standby.WaitForStateAsync("waiting_for_primary", Wait);
        Assert.Contains("cannot reach 127.0.0.1", standby.ReadStatus()!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await standby.RunVerbAsync("health")).ExitCode);
        Assert.Equal(1, (await standby.RunVerbAsync("health", "--ready")).ExitCode);
        Assert.False(standby.HasExited);
        Assert.Empty(Directory.EnumerateFileSystemEntries(standby.DataDirectory));
    }

    [WorldFact]
    public async Task FreshStandby_StanzaDoesNotExist_WaitsForBackupNamingTheFix()
    {
        await using var standby = world.NewStandby("no-stanza");
        standby.Environment["BACKREST_STANZA"] = "nostanza";
        await standby.PreAuthorizeAsync();
        standby.Start();

        await standby.WaitForStateAsync("waiting_for_backup", Wait);
        var status = standby.ReadStatus()!.Value;
        Assert.Contains("stanza nostanza not found", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("stanza-create", status.GetProperty("next_step").GetString(), StringComparison.Ordinal);
        Assert.False(standby.HasExited);
    }
}
