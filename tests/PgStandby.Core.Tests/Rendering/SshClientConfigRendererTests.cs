using PgStandby.Core.Rendering;

namespace PgStandby.Core.Tests.Rendering;

public sealed class SshClientConfigRendererTests
{
    [Fact]
    public void RenderConfig_SshDirectory_UsesStandbyKeyAndKnownHostsStrictly()
    {
        // Act
        var lines = SshClientConfigRenderer.RenderConfig("/var/lib/postgresql/.ssh").Split('\n').Select(l => l.Trim()).ToList();

        // Assert
        Assert.Contains("IdentityFile /var/lib/postgresql/.ssh/id_ed25519", lines);
        Assert.Contains("UserKnownHostsFile /var/lib/postgresql/.ssh/known_hosts", lines);
        Assert.Contains("StrictHostKeyChecking yes", lines);
        Assert.Contains("BatchMode yes", lines);
        Assert.Contains("IdentitiesOnly yes", lines);
    }

    [Fact]
    public void RenderWrapper_ConfigPath_ExecsSshWithThatConfigAndAllArguments()
    {
        // Act
        var text = SshClientConfigRenderer.RenderWrapper("/run/pgstandby/ssh_config");

        // Assert
        Assert.StartsWith("#!/bin/sh\n", text, StringComparison.Ordinal);
        Assert.Contains("\nexec ssh -F /run/pgstandby/ssh_config \"$@\"\n", text, StringComparison.Ordinal);
    }
}
