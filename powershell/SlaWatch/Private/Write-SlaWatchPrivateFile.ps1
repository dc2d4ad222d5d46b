function Write-SlaWatchPrivateFile {
    <#
        .SYNOPSIS
        Writes bytes to a file only its owner can read, atomically: mode 0600 off Windows, the folder's ACL on Windows.

        .DESCRIPTION
        Off Windows the file is created 0600 from the first byte (no window in which the umask leaves it readable),
        under a temporary name in the same folder, then renamed over the target: a reader sees the old content or
        the new, never half of it. Used for the token cache and the credentials file, which hold secrets, and the
        heartbeat state. On Windows (the heartbeat state only; secrets there go through DPAPI) a temporary file is
        renamed over the target as the spool does, and inherits the ACL of the SlaWatch data folder.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        [Parameter(Mandatory = $true)]
        [byte[]]$Bytes
    )

    $directory = Split-Path -Path $Path -Parent
    if ($directory -and -not (Test-Path -LiteralPath $directory -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $directory -Force -ErrorAction Stop
    }
    $temporary = '{0}.{1}.tmp' -f $Path, [Guid]::NewGuid().ToString('N')
    if ($script:IsWindowsPlatform) {
        # FileStreamOptions is .NET 6+ (not on 5.1), and Windows has no file mode to set.
        [System.IO.File]::WriteAllBytes($temporary, $Bytes)
        Move-Item -LiteralPath $temporary -Destination $Path -Force -ErrorAction Stop
        return
    }
    $options = New-Object -TypeName System.IO.FileStreamOptions
    $options.Mode = [System.IO.FileMode]::CreateNew
    $options.Access = [System.IO.FileAccess]::Write
    $options.UnixCreateMode = [System.IO.UnixFileMode]::UserRead -bor [System.IO.UnixFileMode]::UserWrite
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $temporary, $options
    try { $stream.Write($Bytes, 0, $Bytes.Length) } finally { $stream.Dispose() }
    [System.IO.File]::Move($temporary, $Path, $true)
}
