<#
    The scanner's credential without DPAPI and without a prompt: off Windows the module reads the same 0600
    KEY=VALUE file (SLAWATCH_CREDENTIALS_FILE) or environment as the Python scanner, caches tokens in a 0600 file,
    and Set-SlaWatchCredential takes the password from a one-time file (deleted once read) or standard input, as a
    gMSA's one-off scheduled task needs.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $IsWindowsHost = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
    $Saved = @{}
    foreach ($name in @('SLAWATCH_USERNAME', 'SLAWATCH_PASSWORD', 'SLAWATCH_CREDENTIALS_FILE')) {
        $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    function Clear-CredentialVariable {
        foreach ($name in @('SLAWATCH_USERNAME', 'SLAWATCH_PASSWORD', 'SLAWATCH_CREDENTIALS_FILE')) {
            [Environment]::SetEnvironmentVariable($name, $null)
        }
    }
    function Get-UnixMode {
        param([string]$Path)
        [int][System.IO.File]::GetUnixFileMode($Path) -band 511
    }
}

AfterAll {
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Credentials off Windows (the Python scanner''s store)' {
    BeforeEach {
        if ($IsWindowsHost) { return }
        Clear-CredentialVariable
    }

    It 'reads SLAWATCH_USERNAME and SLAWATCH_PASSWORD from the environment' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'Windows uses DPAPI'; return }
        $env:SLAWATCH_USERNAME = 'scanner-fs01'
        $env:SLAWATCH_PASSWORD = 'p@ss word'
        $credential = InModuleScope -ModuleName SlaWatch -ScriptBlock { Import-SlaWatchCredential -Path 'unused' }
        $credential.UserName | Should -Be 'scanner-fs01'
        $credential.GetNetworkCredential().Password | Should -Be 'p@ss word'
    }

    It 'prefers the 0600 file over the environment, with comments, quotes and export' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'Windows uses DPAPI'; return }
        $file = Join-Path -Path $TestDrive -ChildPath 'credentials'
        [System.IO.File]::WriteAllText($file, "# login`nexport SLAWATCH_USERNAME=from-file`nSLAWATCH_PASSWORD=`"quoted secret`"`n")
        [System.IO.File]::SetUnixFileMode($file, [System.IO.UnixFileMode]'UserRead, UserWrite')
        $env:SLAWATCH_CREDENTIALS_FILE = $file
        $env:SLAWATCH_USERNAME = 'from-environment'
        $credential = InModuleScope -ModuleName SlaWatch -ScriptBlock { Import-SlaWatchCredential -Path 'unused' }
        $credential.UserName | Should -Be 'from-file'
        $credential.GetNetworkCredential().Password | Should -Be 'quoted secret'
    }

    It 'refuses a credentials file that others can read, naming the fix' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'Windows uses DPAPI'; return }
        $file = Join-Path -Path $TestDrive -ChildPath 'loose'
        [System.IO.File]::WriteAllText($file, "SLAWATCH_USERNAME=a`nSLAWATCH_PASSWORD=b`n")
        [System.IO.File]::SetUnixFileMode($file, [System.IO.UnixFileMode]'UserRead, UserWrite, GroupRead')
        $env:SLAWATCH_CREDENTIALS_FILE = $file
        { InModuleScope -ModuleName SlaWatch -ScriptBlock { Import-SlaWatchCredential -Path 'unused' } } |
            Should -Throw -ExpectedMessage "*readable by others; run: chmod 600 $file*"
    }

    It 'says where credentials are looked for when there are none' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'Windows uses DPAPI'; return }
        { InModuleScope -ModuleName SlaWatch -ScriptBlock { Import-SlaWatchCredential -Path 'unused' } } |
            Should -Throw -ExpectedMessage '*SLAWATCH_USERNAME and SLAWATCH_PASSWORD*SLAWATCH_CREDENTIALS_FILE*'
    }

    It 'keeps tokens in a 0600 file that only the same endpoint, client and user get back' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'Windows uses DPAPI'; return }
        $path = Join-Path -Path $TestDrive -ChildPath 'spool/token-cache.ps.dat'
        $expires = New-Object -TypeName datetime -ArgumentList 2030, 1, 2, 3, 4, 5, ([System.DateTimeKind]::Utc)
        $loaded = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $path; Expires = $expires } -ScriptBlock {
            param($Path, $Expires)
            $cache = [pscustomobject]@{ Key = 'e|c|u'; AccessToken = 'a-token'; RefreshToken = 'r-token'; ExpiresAtUtc = $Expires }
            Export-SlaWatchTokenCache -Path $Path -Cache $cache
            @{ Same = Import-SlaWatchTokenCache -Path $Path -Key 'e|c|u'; Other = Import-SlaWatchTokenCache -Path $Path -Key 'e|c|someone-else' }
        }
        Get-UnixMode -Path $path | Should -Be 384
        $loaded.Same.AccessToken | Should -Be 'a-token'
        $loaded.Same.RefreshToken | Should -Be 'r-token'
        $loaded.Same.ExpiresAtUtc | Should -Be $expires
        $loaded.Other | Should -BeNullOrEmpty
    }
}

Describe 'Set-SlaWatchCredential without a prompt' {
    BeforeEach {
        $OneTime = Join-Path -Path $TestDrive -ChildPath 'once.txt'
        [System.IO.File]::WriteAllText($OneTime, "SLAWATCH_USERNAME=scanner-fs02`nSLAWATCH_PASSWORD=one-time secret`n")
    }

    It 'reads the login from a one-time file and deletes the file' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'the DPAPI store is covered in Module.Tests.ps1 on Windows'; return }
        $target = Join-Path -Path $TestDrive -ChildPath 'etc/credentials'
        $file = Set-SlaWatchCredential -FromFile $OneTime -Path $target -Confirm:$false
        Test-Path -LiteralPath $OneTime | Should -BeFalse
        $file.FullName | Should -Be $target
        Get-UnixMode -Path $target | Should -Be 384
        Clear-CredentialVariable
        $env:SLAWATCH_CREDENTIALS_FILE = $target
        $credential = InModuleScope -ModuleName SlaWatch -ScriptBlock { Import-SlaWatchCredential -Path 'unused' }
        $credential.UserName | Should -Be 'scanner-fs02'
        $credential.GetNetworkCredential().Password | Should -Be 'one-time secret'
    }

    It 'deletes the one-time file even when it holds no usable login' {
        [System.IO.File]::WriteAllText($OneTime, "SLAWATCH_USERNAME=scanner-fs02`n")
        { Set-SlaWatchCredential -FromFile $OneTime -Path (Join-Path -Path $TestDrive -ChildPath 'c') -Confirm:$false } |
            Should -Throw -ExpectedMessage '*needs the lines SLAWATCH_USERNAME=<Cognito user> and SLAWATCH_PASSWORD=<password>*'
        Test-Path -LiteralPath $OneTime | Should -BeFalse
    }
}
