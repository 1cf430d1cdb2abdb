// Tests never reach AWS: no credentials from the machine, a fixed region, quiet step logs.
process.env.AWS_REGION = 'eu-west-2';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
delete process.env.AWS_PROFILE;
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
