import { Module } from '@nestjs/common';
import { OutcomeCheckInsRepository } from '../../data/outcomes/outcome-check-ins.repository';
import { OutcomesController } from './outcomes.controller';
import { OutcomesService } from './outcomes.service';

@Module({
  controllers: [OutcomesController],
  providers: [OutcomesService, OutcomeCheckInsRepository],
})
export class OutcomesModule {}
