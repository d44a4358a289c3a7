using PgStandby.Core.Rendering;
using PgStandby.Core.Configuration;

namespace PgStandby.Core.Tests.Rendering;

public sealed class SshClientConfigRendererTests
{
    [Fact]
    public void RenderConfig_SshDirectory_UsesStandbyKeyAndKnownHostsStrictly()
    {
        // Act
        var lines = SshClientConfigRenderer.RenderConfig("/var/lib/postgresql/.ssh", "/run/pgstandby/ssh-mux").Split('\n').Select(l => l.Trim()).ToList();

        // Assert
        Assert.Contains("IdentityFile /var/lib/postgresql/.ssh/id_ed25519", lines);
        Assert.Contains("UserKnownHostsFile /var/lib/postgresql/.ssh/known_hosts", lines);
        Assert.Contains("StrictHostKeyChecking yes", lines);
        Assert.Contains("BatchMode yes", lines);
        Assert.Contains("IdentitiesOnly yes", lines);
    }

    [Fact]
    public void RenderConfig_ControlSocket_ConnectionsShareTheFirstWhichOutlivesItsLastSessionBriefly()
    {
        // Act
        var lines = SshClientConfigRenderer.RenderConfig("/var/lib/postgresql/.ssh", "/run/pgstandby/ssh-mux").Split('\n').Select(l => l.Trim()).ToList();

        // Assert
        Assert.Contains("ControlMaster auto", lines);
        Assert.Contains("ControlPath /run/pgstandby/ssh-mux", lines);
        Assert.Contains("ControlPersist 10", lines);
    }

    [Fact]
    public void RenderConfig_NoControlSocket_MultiplexingOffAndSaysWhy()
    {
        // Act
        var lines = SshClientConfigRenderer.RenderConfig("/var/lib/postgresql/.ssh", null).Split('\n').Select(l => l.Trim()).ToList();

        // Assert
        Assert.Contains("ControlMaster no", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("ControlPath", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("PGSTANDBY_RUN_DIR is too long", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/run/pgstandby")]
    [InlineData("/tmp/pgstandby-it-0123abcd/a-rather-long-standby-name/run")]
    public void UsableSshControlSocket_ShortRunFolder_IsTheSocketInIt(string runDirectory)
    {
        // Act
        var socket = new RunFiles(runDirectory).UsableSshControlSocket;

        // Assert
        Assert.Equal(runDirectory + "/ssh-mux", socket);
    }

    [Fact]
    public void UsableSshControlSocket_RunFolderTooLongForAUnixSocket_Null()
    {
        // Arrange: 83 characters of folder + "/ssh-mux" is 91, one more than OpenSSH can bind with its suffix.
        var runDirectory = "/srv/" + new string('r', 78);

        // Act
        var files = new RunFiles(runDirectory);

        // Assert
        Assert.Equal(RunFiles.MaxControlSocketLength + 1, files.SshControlSocket.Length);
        Assert.Null(files.UsableSshControlSocket);
        Assert.NotNull(new RunFiles(runDirectory[..^1]).UsableSshControlSocket);
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
