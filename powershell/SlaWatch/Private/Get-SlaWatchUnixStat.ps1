function Get-SlaWatchUnixStat {
    <#
        .SYNOPSIS
        Off Windows: whether the entry is a regular file, and its creation time in UTC to the 100 ns, both as the
        Python scanner reads them: the birth time from statx(2) where the file system keeps one, else st_ctime.

        .DESCRIPTION
        The type and st_ctime come from the stat result .NET cached for the entry (no extra system call), through
        the fields found when the module loaded ($script:UnixStatFields); the birth time from one statx call
        ($script:Statx) without following a final symbolic link. .NET lists FIFOs, sockets and devices as files; the report
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
    if ($null -ne $script:Statx) {
        $buffer = New-Object -TypeName byte[] -ArgumentList 256
        $path = $script:Utf8NoBom.GetBytes($Entry.FullName + [char]0)
        # AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_BTIME; stx_mask at 0, stx_btime (s64 seconds, u32 nanoseconds) at 80.
        if (($script:Statx::statx(-100, $path, 0x100, 0x800, $buffer) -eq 0) -and (([BitConverter]::ToUInt32($buffer, 0) -band 0x800) -ne 0)) {
            $ticks = [BitConverter]::ToInt64($buffer, 80) * 10000000 + [long][Math]::Floor([double][BitConverter]::ToUInt32($buffer, 88) / 100)
        }
    }
    @{
        # S_IFMT = 0xF000, S_IFREG = 0x8000
        IsRegular     = (([int]$fields.Mode.GetValue($cache) -band 0xF000) -eq 0x8000)
        CreationTimeUtc = New-Object -TypeName datetime -ArgumentList ($script:UnixEpochTicks + $ticks), ([System.DateTimeKind]::Utc)
    }
}
