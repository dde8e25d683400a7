import * as sns from 'aws-cdk-lib/aws-sns';
import { CHARTS_REJECTED_METRIC, HelmChartRepository, INDEXER_METRICS_NAMESPACE } from '../../lib';
import { logicalIdOf, synthRepository } from './helpers';

describe('alarms', () => {
  const { template, repo } = synthRepository((stack) => ({ alarmTopic: new sns.Topic(stack, 'Ops') }));
  const topicRef = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'Ops') };
  const alarms = template.findResources('AWS::CloudWatch::Alarm');
  const alarm = (name: string) =>
    alarms[logicalIdOf(template, 'AWS::CloudWatch::Alarm', `ChartsAlarms${name}`)].Properties;

  test('a message in the dead-letter queue raises an alarm', () => {
    expect(alarm('DeadLetterMessages')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: {
            'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'ChartsIndexerDeadLetterQueue'), 'QueueName'],
          },
        },
      ],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('an indexer error raises an alarm', () => {
    expect(alarm('IndexerErrors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'ChartsIndexerFunction') },
        },
      ],
      Statistic: 'Sum',
      Threshold: 1,
      AlarmActions: [topicRef],
    });
  });

  test('a rejected chart raises an alarm on the metric the handler emits, with its service dimension', () => {
    const fn =
      template.findResources('AWS::Lambda::Function')[
        logicalIdOf(template, 'AWS::Lambda::Function', 'ChartsIndexerFunction')
      ];
    const service = fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
    expect(INDEXER_METRICS_NAMESPACE).toBe('HelmChartRepository');
    expect(CHARTS_REJECTED_METRIC).toBe('ChartsRejected');
    expect(alarm('RejectedCharts')).toMatchObject({
      Namespace: 'HelmChartRepository',
      MetricName: 'ChartsRejected',
      Dimensions: [{ Name: 'service', Value: service }],
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
    expect(repo.alarms.rejectedChartsAlarm).toBeDefined();
  });

  test('two repositories in one stack alarm on their own rejected charts', () => {
    const { template: t } = synthRepository({}, (_repo, stack) => {
      new HelmChartRepository(stack, 'Other');
    });
    const services = Object.values(t.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .filter((name) => name !== undefined);
    expect(new Set(services).size).toBe(2);
  });

  test('without a topic the alarms have no actions', () => {
    const { template: t } = synthRepository();
    for (const a of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties.AlarmActions).toBeUndefined();
    }
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});
