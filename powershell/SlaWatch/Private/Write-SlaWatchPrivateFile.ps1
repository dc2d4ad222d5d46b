function Write-SlaWatchPrivateFile {
    <#
        .SYNOPSIS
        Writes bytes to a file only its owner can read (mode 0600), off Windows, atomically.

        .DESCRIPTION
        The file is created 0600 from the first byte (no window in which the umask leaves it readable), under a
        temporary name in the same folder, then renamed over the target: a reader sees the old content or the
        new, never half of it. Used for the token cache and the credentials file, which hold secrets.
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
    $options = New-Object -TypeName System.IO.FileStreamOptions
    $options.Mode = [System.IO.FileMode]::CreateNew
    $options.Access = [System.IO.FileAccess]::Write
    $options.UnixCreateMode = [System.IO.UnixFileMode]::UserRead -bor [System.IO.UnixFileMode]::UserWrite
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $temporary, $options
    try { $stream.Write($Bytes, 0, $Bytes.Length) } finally { $stream.Dispose() }
    [System.IO.File]::Move($temporary, $Path, $true)
}
