using PgStandby.IntegrationTests.World;

namespace PgStandby.IntegrationTests.Security;

/// <summary>
/// A standby that logs in as the read-only account, pinned to the host key setup-primary.sh prints.
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
}
