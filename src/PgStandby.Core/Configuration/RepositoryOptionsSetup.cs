using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PgStandby.Core.Configuration;

internal sealed class RepositoryOptionsSetup(IConfiguration configuration) : IConfigureOptions<RepositoryOptions>
{
    public void Configure(RepositoryOptions options)
    {
        var env = new EnvironmentValues(configuration, options.Problems);
        var host = env.Required("BACKREST_PRIMARY_HOST", "the host name or IP address of the primary's pgBackRest repository");
        if (host.Length > 0 && !EnvironmentValues.IsHost(host.Trim()))
        {
            options.Problems.Add($"BACKREST_PRIMARY_HOST must be a host name or an IP address (got '{EnvironmentValues.Shown(host)}').");
        }

        options.PrimaryHost = host.Trim();
        options.SshUser = env.Identifier("BACKREST_PRIMARY_USER", options.SshUser, "an OS user name on the primary");
        options.SshPort = env.Integer("BACKREST_PRIMARY_SSH_PORT", options.SshPort, 1, 65535);
        options.Stanza = env.Identifier("BACKREST_STANZA", options.Stanza, "a pgBackRest stanza name (letters, digits, _ . -)");
        options.RepoPath = env.AbsolutePath("BACKREST_REPO_PATH", options.RepoPath);
        options.PrimaryConfig = env.OptionalAbsolutePath("BACKREST_PRIMARY_CONFIG");

        // Its syntax is the SSH client's to check (Ssh.PinnedHostKeyRule).
        options.PinnedHostKey = env.Raw("BACKREST_PRIMARY_HOST_KEY")?.Trim();

        options.Transport = env.OneOf("BACKREST_REPO_TRANSPORT", "ssh", ["ssh", "tls"]) == "tls" ? RepositoryTransport.Tls : RepositoryTransport.Ssh;
        options.TlsPort = env.Integer("BACKREST_PRIMARY_TLS_PORT", options.TlsPort, 1, 65535);
        options.TlsCaPem = env.Raw("BACKREST_PRIMARY_TLS_CA"); // its content is the TLS client's to check (Tls.TlsCaRule)
        options.TlsCaFile = env.OptionalExistingFile("BACKREST_PRIMARY_TLS_CA_FILE", "the primary's CA certificate (PEM)");
        if (options.TlsCaPem is not null && options.TlsCaFile is not null)
        {
            options.Problems.Add("BACKREST_PRIMARY_TLS_CA and BACKREST_PRIMARY_TLS_CA_FILE are both set: keep one (the CA certificate's PEM, or the file holding it).");
        }
    }
}
