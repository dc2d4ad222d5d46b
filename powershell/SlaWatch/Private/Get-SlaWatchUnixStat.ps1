function Get-SlaWatchUnixStat {
    <#
        .SYNOPSIS
        Off Windows: whether the entry is a regular file, and its inode change time (st_ctime) in UTC to the
        100 ns, both as the Python scanner reads them.

        .DESCRIPTION
        Read from the stat result .NET cached for the entry (no extra system call), through the fields found when
        the module loaded ($script:UnixStatFields). .NET lists FIFOs, sockets and devices as files; the report
        counts regular files only. Returns $null when the fields are not available; the caller then keeps
        CreationTimeUtc and the .NET view of what a file is.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [System.IO.FileSystemInfo]$Entry
    )

    $fields = $script:UnixStatFields
    if ($null -eq $fields) { return $null }
    $null = $Entry.LastWriteTimeUtc  # makes .NET fill its stat cache if the listing did not
    $cache = $fields.Cache.GetValue($fields.Status.GetValue($Entry))
    $ticks = [long]$fields.Seconds.GetValue($cache) * 10000000 + [long][Math]::Floor([double]$fields.Nanos.GetValue($cache) / 100)
    @{
        # S_IFMT = 0xF000, S_IFREG = 0x8000
        IsRegular     = (([int]$fields.Mode.GetValue($cache) -band 0xF000) -eq 0x8000)
        ChangeTimeUtc = New-Object -TypeName datetime -ArgumentList ($script:UnixEpochTicks + $ticks), ([System.DateTimeKind]::Utc)
    }
}
