using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// A standby that logs in as the read-only account: pinned to the host key setup-primary.sh prints, and re-synced
/// (pgstandby reinit --yes) through that account.
/// </summary>
[Collection(WorldDefinition.Name)]
public sealed class ReadOnlyAccountStandbyTests(PrimaryWorld world)
{
    [WorldFact]
    public async Task HostKeyPrintedBySetupPrimary_PinnedAsBackrestPrimaryHostKey_Streams()
    {
        await using var standby = world.NewStandby("printed-host-key");
        var printed = await standby.PreAuthorizeAsync(world.ReadOnlyAccount);
        // The world's sshd's own key (primary-up.sh), type and base64: the known_hosts form the worker accepts.
        Assert.Equal(world.HostKey, printed);

        standby.Environment["BACKREST_PRIMARY_HOST_KEY"] = printed;
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));

        var status = await standby.RunVerbAsync("status");
        Assert.Contains("matches BACKREST_PRIMARY_HOST_KEY", status.StandardOutput, StringComparison.Ordinal);
    }

    [WorldFact]
    public async Task ReadOnlyAccount_ReinitWithYes_RestoresThroughItAndStreamsThePrimarysRows()
    {
        await using var standby = world.NewStandby("read-only-reinit");
        await standby.PreAuthorizeAsync(world.ReadOnlyAccount);
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        Assert.Equal(0, await standby.StopAsync(TimeSpan.FromMinutes(2)));
        var restoresBefore = await RestoreRemotesAsync(standby);

        var reinit = await standby.RunVerbAsync("reinit", "--yes");
        Assert.True(reinit.ExitCode == 0, reinit.StandardOutput + reinit.StandardError);
        // The restore's repository remotes ran through the forced command, as the read-only account.
        Assert.True(await RestoreRemotesAsync(standby) > restoresBefore, "no restore:remote of the read-only account during the re-sync");

        var fingerprint = await world.WriteProbeRowsAsync("read-only-reinit");
        standby.Start();
        await standby.WaitForStateAsync("streaming", TimeSpan.FromMinutes(3));
        await standby.WaitForProbeAsync(fingerprint, TimeSpan.FromMinutes(2));
        Assert.Equal(await world.SqlAsync("SELECT count(*) FROM probe"), await standby.ScalarAsync("SELECT count(*) FROM probe"));
    }

    private async Task<int> RestoreRemotesAsync(StandbyProcess standby) =>
        (await File.ReadAllLinesAsync(world.ForcedCommandLog)).Count(l =>
            l.Contains(" ACCEPTED " + world.ReadOnlyAccount + "@", StringComparison.Ordinal)
            && l.Contains("--pg1-path=" + standby.DataDirectory + " ", StringComparison.Ordinal)
            && l.EndsWith(" restore:remote", StringComparison.Ordinal));
}
