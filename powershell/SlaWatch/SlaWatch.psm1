#Requires -Version 5.1
<#
    SlaWatch root module.

    Layout (ImportExcel / Sampler style): one function per file, Public/ functions are exported (the list in
    SlaWatch.psd1 is the contract), Private/ functions are module-internal helpers. Module-wide state lives in
    $script: variables initialised here and nowhere else.
#>

# Module-wide state -----------------------------------------------------------------------------------------------
# Windows PowerShell 5.1 has no $IsWindows; it only runs on Windows.
$script:IsWindowsPlatform = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
# Windows PowerShell 5.1 (.NET Framework) needs the \\?\ prefix for paths over 260 characters; .NET (PowerShell 7) does not.
$script:NeedsLongPathPrefix = $script:IsWindowsPlatform -and ($PSVersionTable.PSEdition -ne 'Core')
# Access/refresh tokens of the current process (see Get-SlaWatchAccessToken); never logged.
$script:SlaWatchTokenCache = $null
# Log target for the current run (see Initialize-SlaWatchLog); $null means "streams only".
$script:SlaWatchLog = $null
# The one date format of the report contract, always applied to UTC values.
$script:DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:Utf8NoBom = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false

# Off Windows, "creation" is the inode change time (st_ctime), as in the Python scanner: it changes when a file is
# created, renamed or moved into a folder, so it tells arrival, while .NET's CreationTime there falls back to the
# last write (old for a copy that kept its times). .NET already holds it in each FileSystemInfo's stat cache; these
# are the private fields that reach it, with the file type (see Get-SlaWatchUnixStat). $null on Windows, or if a
# .NET version renames them.
$script:UnixStatFields = $null
$script:UnixEpochTicks = (New-Object -TypeName datetime -ArgumentList 1970, 1, 1, 0, 0, 0, ([System.DateTimeKind]::Utc)).Ticks
if (-not $script:IsWindowsPlatform) {
    try {
        $private = [System.Reflection.BindingFlags]'NonPublic, Public, Instance'
        $status = [System.IO.FileSystemInfo].GetField('_fileStatus', $private)
        $cache = $status.FieldType.GetField('_fileCache', $private)
        $fields = @{
            Status  = $status
            Cache   = $cache
            Mode    = $cache.FieldType.GetField('Mode', $private)
            Seconds = $cache.FieldType.GetField('CTime', $private)
            Nanos   = $cache.FieldType.GetField('CTimeNsec', $private)
        }
        if (@($fields.Values | Where-Object -FilterScript { $null -eq $_ }).Count -eq 0) { $script:UnixStatFields = $fields }
    }
    catch {
        $script:UnixStatFields = $null
    }
}

# Windows PowerShell 5.1 may default to TLS 1.0/1.1, which AWS endpoints refuse.
if ($PSVersionTable.PSEdition -ne 'Core') {
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor
        [System.Net.SecurityProtocolType]::Tls12
}

# Load functions ---------------------------------------------------------------------------------------------------
$private = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Private') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)
$public = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)

foreach ($file in @($private + $public)) {
    try {
        . $file.FullName
    }
    catch {
        throw "SlaWatch: failed to load $($file.FullName): $($_.Exception.Message)"
    }
}

Export-ModuleMember -Function @($public | ForEach-Object -Process { $_.BaseName })
