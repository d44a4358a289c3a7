namespace PgStandby.Core.Tests.Configuration;

/// <summary>Values an environment variable may carry by mistake or by malice; none may reach a rendered file.</summary>
internal static class HostileValues
{
    public static readonly string Long = new('a', 5000);

    /// <summary>Refused by every host, identifier and number variable.</summary>
    public static readonly string[] Words =
    [
        "with space",
        "quote'd",
        "double\"quote",
        "back\\slash",
        "new\nline",
        "tab\there",
        ";rm -rf /",
        "$(id)",
        "`id`",
        "a&&b",
        "über",
        Long,
    ];

    /// <summary>Refused by every path variable: not absolute, or outside the allowed characters.</summary>
    public static readonly string[] Paths =
    [
        "relative/path",
        "~/data",
        "/var/lib/with space",
        "/var/lib/quote'd",
        "/var/lib/double\"quote",
        "/var/lib/back\\slash",
        "/var/lib/new\nline",
        "/x;rm -rf /",
        "/$(id)",
        "/`id`",
        "/var/lib/../../etc",
        "/var/lib/..",
        "/" + Long,
    ];

    /// <summary>Refused by every port (1 to 65535).</summary>
    public static readonly string[] Ports =
    [
        "0",
        "65536",
        "-1",
        "+22",
        "22.0",
        "0x16",
        "1e3",
        "99999999999",
        "22 23",
    ];

    public static TheoryData<string, string> Cross(IEnumerable<string> variables, IEnumerable<string> values)
    {
        var data = new TheoryData<string, string>();
        foreach (var variable in variables)
        {
            foreach (var value in values)
            {
                data.Add(variable, value);
            }
        }

        return data;
    }
}
