namespace PgStandby.IntegrationTests.World;

internal static class Prerequisites
{
    /// <summary>What `dotnet publish` needs to make the Native AOT binary (README, Building).</summary>
    public const string Clang = "/usr/bin/clang";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is missing for the world, or null when everything is there.</summary>
    public static string? Missing()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            return "root (the world creates clusters and starts sshd)";
        }

        string[] needed = ["/usr/lib/postgresql/15/bin/postgres", "/usr/bin/pg_createcluster", "/usr/bin/pgbackrest", "/usr/sbin/sshd", "/usr/bin/ssh-keygen"];
        var absent = needed.Where(p => !File.Exists(p)).ToList();
        return absent.Count == 0 ? null : string.Join(", ", absent);
    }

    /// <summary>What is missing to build and run the container image (tests/run.sh installs it), or null.</summary>
    public static string? MissingForImages()
    {
        if (Missing() is { } world)
        {
            return world;
        }

        string[] needed = ["/usr/bin/podman", "/usr/sbin/runc", "/usr/sbin/debootstrap"];
        var absent = needed.Where(p => !File.Exists(p)).ToList();
        return absent.Count == 0 ? null : string.Join(", ", absent);
    }

    /// <summary>What is missing to run the image under Debian's Docker Engine in Swarm mode and docker-compose (tests/run.sh installs it), or null.</summary>
    public static string? MissingForSwarm()
    {
        if (MissingForImages() is { } images)
        {
            return images;
        }

        string[] needed = ["/usr/bin/docker", "/usr/sbin/dockerd", "/usr/bin/docker-compose", "/usr/sbin/tc"];
        var absent = needed.Where(p => !File.Exists(p)).ToList();
        return absent.Count == 0 ? null : string.Join(", ", absent);
    }
}
